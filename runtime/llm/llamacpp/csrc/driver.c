// driver: a small command-line front end to llama.cpp's C API (the prebuilt
// CPU library that npm node-llama-cpp ships), so that Delphi's tests and
// benchmarks can hold runtime/llm and runtime/gguf against llama.cpp
// itself. It is test and benchmark tooling, never part of delphid.
//
// Files are raw little-endian arrays: token files int32, float files
// float32. Every command prints one line "ok ..." on success.
//
//   logits   MODEL TOKENS OUT THREADS        logits of every position (n x vocab)
//   greedy   MODEL TOKENS N OUT THREADS      N greedy tokens after the prompt
//   tokenize MODEL TEXT OUT                  ids of the text (no BOS, no special parsing)
//   quantize IN OUT FTYPE                    llama_model_quantize, every tensor the one type
//   qchunk   TYPE IN OUT ROWS PERROW         ggml_quantize_chunk over float rows
//   dequant  TYPE IN OUT N                   ggml's to_float of N elements
//   bench    MODEL TOKENS NGEN THREADS       prompt and generation tokens/s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ggml.h"
#include "ggml-backend.h"
#include "llama.h"

static void quiet(enum ggml_log_level level, const char *text, void *user) {
	(void)user;
	if (level == GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

static void die(const char *msg) {
	fprintf(stderr, "driver: %s\n", msg);
	exit(1);
}

static void *slurp(const char *path, size_t *n) {
	FILE *f = fopen(path, "rb");
	if (!f) die("cannot open input");
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *b = malloc(len > 0 ? (size_t)len : 1);
	if (len > 0 && fread(b, 1, (size_t)len, f) != (size_t)len) die("short read");
	fclose(f);
	*n = (size_t)len;
	return b;
}

static void spill(const char *path, const void *b, size_t n) {
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0) die("cannot write output");
}

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static struct llama_model *load(const char *path) {
	struct llama_model_params mp = llama_model_default_params();
	mp.n_gpu_layers = 0;
	struct llama_model *m = llama_model_load_from_file(path, mp);
	if (!m) die("llama.cpp could not load the model");
	return m;
}

// context: f32 KV cache, no flash attention, one batch holds the prompt,
// computed in micro-batches of ubatch tokens (0: the whole batch at once).
static struct llama_context *context(struct llama_model *m, int n, int threads, int ubatch) {
	struct llama_context_params cp = llama_context_default_params();
	cp.n_ctx = (uint32_t)(n < 16 ? 16 : n);
	cp.n_batch = cp.n_ctx;
	cp.n_ubatch = ubatch > 0 && (uint32_t)ubatch < cp.n_ctx ? (uint32_t)ubatch : cp.n_ctx;
	cp.n_seq_max = 1;
	cp.n_threads = threads;
	cp.n_threads_batch = threads;
	cp.type_k = GGML_TYPE_F32;
	cp.type_v = GGML_TYPE_F32;
	cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
	struct llama_context *c = llama_init_from_model(m, cp);
	if (!c) die("llama.cpp could not make a context");
	return c;
}

// decode runs tokens at positions pos.. and asks for logits where want is set.
static void decode(struct llama_context *c, const int32_t *tok, int n, int pos, int all) {
	struct llama_batch b = llama_batch_init(n, 0, 1);
	for (int i = 0; i < n; i++) {
		b.token[i] = tok[i];
		b.pos[i] = pos + i;
		b.n_seq_id[i] = 1;
		b.seq_id[i][0] = 0;
		b.logits[i] = all || i == n - 1;
	}
	b.n_tokens = n;
	if (llama_decode(c, b) != 0) die("llama_decode failed");
	llama_batch_free(b);
}

static int argmax(const float *v, int n) {
	int best = 0;
	for (int i = 1; i < n; i++)
		if (v[i] > v[best]) best = i;
	return best;
}

int main(int argc, char **argv) {
	if (argc < 2) die("usage: driver COMMAND ...");
	llama_log_set(quiet, NULL);
	ggml_log_set(quiet, NULL);
	const char *cmd = argv[1];
	const char *dir = getenv("LLAMACPP_LIB");
	if (dir) ggml_backend_load_all_from_path(dir);
	else ggml_backend_load_all();
	llama_backend_init();

	if (!strcmp(cmd, "logits") && argc == 6) {
		size_t nb;
		int32_t *tok = slurp(argv[3], &nb);
		int n = (int)(nb / 4), threads = atoi(argv[5]);
		struct llama_model *m = load(argv[2]);
		int V = llama_vocab_n_tokens(llama_model_get_vocab(m));
		// Micro-batches of 16: this library's batched quantized matrix
		// product returns NaN for every 32-row chunk when a row is one
		// block (width 32: Delphi's trained nano quantized to Q8_0 or
		// Q4_0), and its logits come from fewer rows at a time otherwise
		// unchanged in meaning.
		struct llama_context *c = context(m, n, threads, 16);
		decode(c, tok, n, 0, 1);
		float *out = malloc(sizeof(float) * (size_t)n * (size_t)V);
		for (int i = 0; i < n; i++) memcpy(out + (size_t)i * V, llama_get_logits_ith(c, i), sizeof(float) * V);
		spill(argv[4], out, sizeof(float) * (size_t)n * (size_t)V);
		printf("ok %d %d\n", n, V);
		return 0;
	}
	if (!strcmp(cmd, "greedy") && argc == 7) {
		size_t nb;
		int32_t *tok = slurp(argv[3], &nb);
		int n = (int)(nb / 4), gen = atoi(argv[4]), threads = atoi(argv[6]);
		struct llama_model *m = load(argv[2]);
		int V = llama_vocab_n_tokens(llama_model_get_vocab(m));
		struct llama_context *c = context(m, n + gen, threads, 16);
		int32_t *out = malloc(sizeof(int32_t) * (size_t)(gen > 0 ? gen : 1));
		decode(c, tok, n, 0, 0);
		for (int i = 0; i < gen; i++) {
			out[i] = argmax(llama_get_logits_ith(c, -1), V);
			if (i + 1 < gen) decode(c, &out[i], 1, n + i, 0);
		}
		spill(argv[5], out, sizeof(int32_t) * (size_t)gen);
		printf("ok %d\n", gen);
		return 0;
	}
	if (!strcmp(cmd, "tokenize") && argc == 5) {
		size_t nb;
		char *text = slurp(argv[3], &nb);
		struct llama_model_params mp = llama_model_default_params();
		mp.vocab_only = 1;
		struct llama_model *m = llama_model_load_from_file(argv[2], mp);
		if (!m) die("llama.cpp could not load the vocabulary");
		int cap = (int)nb + 16;
		int32_t *ids = malloc(sizeof(int32_t) * (size_t)cap);
		int n = llama_tokenize(llama_model_get_vocab(m), text, (int32_t)nb, ids, cap, 0, 0);
		if (n < 0) die("llama_tokenize failed");
		spill(argv[4], ids, sizeof(int32_t) * (size_t)n);
		printf("ok %d\n", n);
		return 0;
	}
	if (!strcmp(cmd, "quantize") && argc == 5) {
		struct llama_model_quantize_params qp = llama_model_quantize_default_params();
		qp.nthread = 1;
		qp.ftype = (enum llama_ftype)atoi(argv[4]);
		qp.pure = 1;
		if (llama_model_quantize(argv[2], argv[3], &qp) != 0) die("llama_model_quantize failed");
		printf("ok\n");
		return 0;
	}
	if (!strcmp(cmd, "qchunk") && argc == 7) {
		size_t nb;
		float *src = slurp(argv[3], &nb);
		enum ggml_type t = (enum ggml_type)atoi(argv[2]);
		int64_t rows = atoll(argv[5]), per = atoll(argv[6]);
		if ((size_t)(rows * per) * 4 != nb) die("float count does not match rows x per-row");
		size_t size = ggml_row_size(t, per) * (size_t)rows;
		void *dst = malloc(size);
		size_t got = ggml_quantize_chunk(t, src, dst, 0, rows, per, NULL);
		if (got != size) die("ggml_quantize_chunk wrote an unexpected size");
		spill(argv[4], dst, size);
		printf("ok %zu\n", size);
		return 0;
	}
	if (!strcmp(cmd, "dequant") && argc == 6) {
		size_t nb;
		void *src = slurp(argv[3], &nb);
		enum ggml_type t = (enum ggml_type)atoi(argv[2]);
		int64_t n = atoll(argv[5]);
		const struct ggml_type_traits *tr = ggml_get_type_traits(t);
		if (!tr->to_float) die("type has no to_float");
		if (ggml_row_size(t, n) != nb) die("byte count does not match the element count");
		float *out = malloc(sizeof(float) * (size_t)n);
		tr->to_float(src, out, n);
		spill(argv[4], out, sizeof(float) * (size_t)n);
		printf("ok %lld\n", (long long)n);
		return 0;
	}
	if (!strcmp(cmd, "bench") && argc == 6) {
		size_t nb;
		int32_t *tok = slurp(argv[3], &nb);
		int n = (int)(nb / 4), gen = atoi(argv[4]), threads = atoi(argv[5]);
		struct llama_model *m = load(argv[2]);
		int V = llama_vocab_n_tokens(llama_model_get_vocab(m));
		struct llama_context *c = context(m, n + gen, threads, 0);
		double t0 = now();
		decode(c, tok, n, 0, 0);
		double t1 = now();
		int32_t next = argmax(llama_get_logits_ith(c, -1), V);
		for (int i = 0; i < gen; i++) {
			decode(c, &next, 1, n + i, 0);
			next = argmax(llama_get_logits_ith(c, -1), V);
		}
		double t2 = now();
		printf("ok %.3f %.3f\n", n / (t1 - t0), gen / (t2 - t1));
		return 0;
	}
	die("unknown command or wrong argument count");
	return 1;
}
