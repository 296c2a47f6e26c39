import { renderToString } from "react-dom/server";
import { App } from "./App";
import { type Preload, setServerPreload } from "./shared/preload";

/** Renders the app for `/` with the given data (used by the server for the status page's first paint). */
export function renderStatusPage(preload: Preload): string {
  setServerPreload(preload);
  try {
    return renderToString(<App />);
  } finally {
    setServerPreload(null);
  }
}
