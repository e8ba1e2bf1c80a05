#!/usr/bin/env bash
# cuda-setup.sh: install Debian's CUDA toolkit (nvcc) and headers/libraries
# (nvidia-cuda-dev, which gorgonia.org/cu links against with cgo).
#
# Idempotent: it adds the contrib and non-free components to the Debian apt
# sources only where they are missing (both the deb822 .sources format of
# Debian 12/13 and the one-line sources.list format), and skips apt entirely
# when nvcc and cuda.h are already present. Needs root (or sudo).
set -euo pipefail

if command -v nvcc >/dev/null 2>&1 && [ -f /usr/include/cuda.h ]; then
	echo "cuda-setup: nvcc and cuda.h present: $(nvcc --version | tail -n 1)"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

# add_components_deb822 FILE: in every stanza whose URIs point at a Debian
# mirror, append contrib and non-free to its Components field if missing
# (fields may come in any order, so each stanza is buffered until its end).
add_components_deb822() {
	local f=$1
	$SUDO awk '
		function flush(   i, line) {
			for (i = 1; i <= n; i++) {
				line = buf[i]
				if (debian && line ~ /^Components:/) {
					if (line !~ /(^|[ \t])contrib([ \t]|$)/) line = line " contrib"
					if (line !~ /(^|[ \t])non-free([ \t]|$)/) line = line " non-free"
				}
				print line
			}
			n = 0; debian = 0
		}
		/^[ \t]*$/ { flush(); print; next }
		{ buf[++n] = $0; if ($0 ~ /^URIs:.*debian/) debian = 1 }
		END { flush() }
	' "$f" >"$f.cuda-setup.tmp"
	$SUDO mv "$f.cuda-setup.tmp" "$f"
}

# add_components_list FILE: same for one-line "deb URI suite comps..." entries.
add_components_list() {
	local f=$1
	$SUDO awk '
		/^[ \t]*deb(-src)?[ \t]/ && /debian/ {
			if ($0 !~ /[ \t]contrib([ \t]|$)/) $0 = $0 " contrib"
			if ($0 !~ /[ \t]non-free([ \t]|$)/) $0 = $0 " non-free"
		}
		{ print }
	' "$f" >"$f.cuda-setup.tmp"
	$SUDO mv "$f.cuda-setup.tmp" "$f"
}

shopt -s nullglob
found=0
for f in /etc/apt/sources.list.d/*.sources; do
	if grep -q '^URIs:.*debian' "$f"; then
		add_components_deb822 "$f"
		found=1
	fi
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	if [ -f "$f" ] && grep -Eq '^[[:space:]]*deb(-src)?[[:space:]].*debian' "$f"; then
		add_components_list "$f"
		found=1
	fi
done
if [ "$found" -eq 0 ]; then
	echo "cuda-setup: no Debian apt source found to extend" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends nvidia-cuda-dev nvidia-cuda-toolkit
echo "cuda-setup: installed $(nvcc --version | tail -n 1)"
