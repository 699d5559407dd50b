// The console's entry point, loaded by index.html: starts the shell
// (app.js). The views register themselves from their own script tags in
// index.html; the shell boots once the document is parsed, after all of
// them.
import { startConsole } from './app.js';

startConsole();
