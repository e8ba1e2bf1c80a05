// Error pages: a heading that names what went wrong, a plain sentence, and
// a way back — for a page that does not exist, an id nothing has, an
// address that is not one, or a node that failed.
import { ApiError } from "../api";
import { h } from "../dom";
import type { Route } from "../router";

/** A failure a page knows how to name. */
export class PageError extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** The heading and sentence for a failed route. */
export function describeFailure(route: Route, e: unknown): { title: string; message: string } {
  if (e instanceof PageError) return { title: e.title, message: e.message };
  if (e instanceof ApiError && e.status === 404) {
    switch (route.page) {
      case "market":
        return { title: "Market not found", message: `There is no market ${route.id} on this chain.` };
      case "model":
        return { title: "Model not found", message: `No model is registered with id ${route.id}.` };
    }
    return { title: "Not found", message: e.message };
  }
  if (e instanceof ApiError && e.status === 400) return { title: "That request was refused", message: e.message };
  if (e instanceof ApiError && e.status === 0) return { title: "The node cannot be reached", message: "Check that it is running, then reload." };
  return { title: "Something went wrong", message: (e as Error).message || String(e) };
}

export function errorPage(view: HTMLElement, title: string, message: string): void {
  const retry = h("button", { type: "button", class: "link" }, "try again");
  retry.addEventListener("click", () => location.reload());
  view.replaceChildren(
    h(
      "section",
      { class: "error-page", "data-testid": "error-page" },
      h("h1", {}, title),
      h("p", {}, message),
      h("p", {}, h("a", { href: "#/" }, "Back to the markets"), " or ", retry, "."),
    ),
  );
}
