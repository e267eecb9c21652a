// Stylesheets are bundled by Bun into the UI's one .css file.
declare module "*.css";
