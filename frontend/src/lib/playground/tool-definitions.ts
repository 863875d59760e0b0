import { toolDefinitionsError as toolsError } from '$schemas/tool-definitions';
import { schemaError } from './structured';

/** The backend's rules (schemas/src/tool-definitions.ts), checked before a run with the page's JSON-schema checker. */
export const toolDefinitionsError = (tools: readonly unknown[]) => toolsError(tools, schemaError);
