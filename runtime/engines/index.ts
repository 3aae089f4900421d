/**
 * Engine selection: the bundled executor, or the user's real ansible-playbook with our callback plugin.
 * The ansible engine is loaded on demand so a build without it still runs the bundled one.
 */
import { bundledEngine } from './bundled';
import type { Engine } from './types';

export class EngineUnavailableError extends Error {}

export function loadEngine(name: 'bundled' | 'ansible'): Engine {
  if (name === 'bundled') return bundledEngine;
  let loaded: { ansibleEngine?: Engine } | undefined;
  try {
    // require inside try: bundlers leave it unresolved when the engine is not part of the build
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./ansible') as { ansibleEngine?: Engine };
  } catch (error) {
    throw new EngineUnavailableError(`the ansible engine is not available in this build (${(error as Error).message.split('\n')[0]}); use --engine bundled`);
  }
  if (!loaded?.ansibleEngine) throw new EngineUnavailableError('the ansible engine is not available in this build; use --engine bundled');
  return loaded.ansibleEngine;
}

export type { Engine, RunOptions } from './types';
