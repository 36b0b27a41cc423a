// ESLint for the browser code under kupiansk_map/web/static/ (tests/web/test_eslint.py runs it).
// The files are classic scripts, not modules: Python splices them into folium's generated pages and into the
// standalone exports, so they use browser globals and Leaflet's `L`, and declare the function they offer with
// an /* exported */ comment.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["kupiansk_map/web/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
];
