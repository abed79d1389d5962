// node run_wasi.mjs module.wasm: runs a WASI command under node's WASI; its exit code is ours.
// (Used by the shim test only: node is a build dependency, edgerun's own WASI is not needed.)
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';

const wasi = new WASI({version: 'preview1', args: [], env: {}, returnOnExit: true});
const module = await WebAssembly.compile(readFileSync(process.argv[2]));
const instance = await WebAssembly.instantiate(module,
                                               {wasi_snapshot_preview1: wasi.wasiImport});
// node 20 can abort when the WASI object is collected during fd_write: keep both reachable.
globalThis.keepAlive = [wasi, instance];
process.exitCode = wasi.start(instance);
