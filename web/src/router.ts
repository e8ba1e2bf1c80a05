// Hash routes, so that the node only ever serves one index.html and a
// reload on any page works without server-side routing.

export type Route =
  | { page: "markets" }
  | { page: "market"; id: string }
  | { page: "model"; id: string }
  | { page: "vaults" }
  | { page: "portfolio"; address?: string }
  | { page: "badaddress"; input: string }
  | { page: "notfound"; path: string };

const ID = /^[1-9]\d{0,19}$/;
const ADDRESS = /^[a-z]{1,20}1[02-9ac-hj-np-z]{38,90}$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/\/+$/, "") || "/";
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === "markets")) return { page: "markets" };
  if (parts[0] === "markets" && parts.length === 2 && ID.test(parts[1])) return { page: "market", id: parts[1] };
  if (parts[0] === "models" && parts.length === 2 && ID.test(parts[1])) return { page: "model", id: parts[1] };
  if (parts[0] === "vaults" && parts.length === 1) return { page: "vaults" };
  if (parts[0] === "portfolio" && parts.length === 1) return { page: "portfolio" };
  if (parts[0] === "portfolio" && parts.length === 2) {
    let input = parts[1];
    try {
      input = decodeURIComponent(input);
    } catch {
      // A malformed escape is shown as typed.
    }
    return ADDRESS.test(input) ? { page: "portfolio", address: input } : { page: "badaddress", input };
  }
  return { page: "notfound", path };
}

export function href(r: Route): string {
  switch (r.page) {
    case "markets":
      return "#/";
    case "market":
      return `#/markets/${r.id}`;
    case "model":
      return `#/models/${r.id}`;
    case "vaults":
      return "#/vaults";
    case "portfolio":
      return r.address ? `#/portfolio/${r.address}` : "#/portfolio";
    case "badaddress":
    case "notfound":
      return "#/";
  }
}
