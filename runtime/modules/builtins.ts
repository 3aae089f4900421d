/** Every module implementation the bundled engine ships. */
import { commandModule, shellModule } from './command';
import { assertModule, debugModule, failModule, pingModule, setFactModule } from './controller';
import { copyModule, templateModule } from './copy';
import { fileModule, statModule } from './file';
import { findModule } from './find';
import { archiveModule, unarchiveModule } from './archive';
import { getUrlModule, uriModule } from './http';
import { includeVarsModule } from './include-vars';
import { aptModule, packageModule, serviceModule, systemdModule } from './packages';
import { lineinfileModule } from './lineinfile';
import { pauseModule } from './pause';
import { rawModule, scriptModule } from './raw';
import { setupModule } from './setup';
import { slurpModule } from './slurp';
import { addHostModule, groupByModule } from './inventory-actions';
import { waitForModule } from './wait-for';
import { asyncStatusModule } from '../async/async-status';
import type { ModuleImplementation } from './types';

export const BUILTIN_IMPLEMENTATIONS: readonly ModuleImplementation[] = [
  commandModule, shellModule, rawModule, scriptModule,
  debugModule, setFactModule, assertModule, failModule, pingModule, pauseModule,
  copyModule, templateModule, fileModule, statModule, findModule, lineinfileModule,
  waitForModule, setupModule, asyncStatusModule,
  getUrlModule, uriModule, aptModule, packageModule, serviceModule, systemdModule,
  archiveModule, unarchiveModule, includeVarsModule, slurpModule,
  addHostModule, groupByModule,
];
