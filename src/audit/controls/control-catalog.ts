import type { Control } from '../control.ts';
import { accessControls } from './access-controls.ts';
import { backupControls } from './backup-controls.ts';
import { credentialControls } from './credential-controls.ts';
import { databaseControls } from './database-controls.ts';
import { documentationControls } from './documentation-controls.ts';
import { incidentControls } from './incident-controls.ts';
import { infrastructureControls } from './infrastructure-controls.ts';
import { observabilityControls } from './observability-controls.ts';
import { ownershipControls } from './ownership-controls.ts';
import { releaseControls } from './release-controls.ts';
import { runtimeControls } from './runtime-controls.ts';
import { workflowControls } from './workflow-controls.ts';

/** Every control, in report order: by domain, then id. */
export const controlCatalog: readonly Control[] = [
  ...releaseControls,
  ...ownershipControls,
  ...observabilityControls,
  ...backupControls,
  ...documentationControls,
  ...incidentControls,
  ...accessControls,
  ...workflowControls,
  ...runtimeControls,
  ...infrastructureControls,
  ...databaseControls,
  ...credentialControls,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
