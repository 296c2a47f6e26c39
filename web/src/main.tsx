import { StrictMode } from "react";
import { createRoot, hydrateRoot } from "react-dom/client";
import { App } from "./App";
import { hasPreload } from "./shared/preload";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
const app = (
  <StrictMode>
    <App />
  </StrictMode>
);
// The server renders the status page with its data (first paint without a round trip): hydrate it.
if (root.hasChildNodes() && hasPreload()) hydrateRoot(root, app);
else createRoot(root).render(app);
