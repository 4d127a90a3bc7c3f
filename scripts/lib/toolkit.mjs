// @ts-check
// The toolkit the scripts and the test harnesses share, in one import
// (`@todo/scripts/toolkit` from the other workspaces):
//   createRunner, firstError, startService  one way to start a process (exec.mjs, service.mjs)
//   createLog, formatDuration, redact       one logger and step timer (log.mjs)
//   runScript, EXIT, ScriptError            one CLI frame: help, exit codes (main.mjs, errors.mjs)
//   REPO_ROOT                               the repository root (repo.mjs)
//   freePort, waitForHttp                   loopback helpers (net.mjs)
//   secretFile, withSecretFile, envFileText 0600 files and cleanup on Ctrl-C (cleanup.mjs)
//   processAlive                            whether a pid still runs (cleanup.mjs)
export { envFileText, onCleanup, processAlive, secretFile, withSecretFile } from './cleanup.mjs';
export { EXIT, missingError, ScriptError, usageError } from './errors.mjs';
export { createRunner, firstError } from './exec.mjs';
export { createLog, formatDuration, redact } from './log.mjs';
export { runScript } from './main.mjs';
export { freePort, waitForHttp } from './net.mjs';
export { REPO_ROOT } from './repo.mjs';
export { startService } from './service.mjs';
