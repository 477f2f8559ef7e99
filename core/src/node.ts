/**
 * @packageDocumentation
 * Node entry of `@collabopt/core`: everything in the browser-safe entry, plus the file-system
 * session store (installed on import, so `session.save(dir)` and `Session.load(dir)` use the disk)
 * and Node-only helpers.
 */
import { FileSessionStore } from './io/FileSessionStore';
import { setSessionStore } from './io/SessionStore';
import { installNodeBackendLoaders } from './backend/node';

export * from './index';
export { FileSessionStore } from './io/FileSessionStore';
export { writeFileAtomic } from './io/writeFileAtomic';
export { writeDirectoryAtomic } from './io/writeDirectoryAtomic';

export { tfjsNodeBackendLoader, wasmBackendLoader, installNodeBackendLoaders, installNativeKernels } from './backend/node';
export type { RequireLike } from './backend/node';

setSessionStore(new FileSessionStore());
installNodeBackendLoaders();
