export * from './model';
export { parsePlaybook, parseTaskFile, type ParseOptions, type TaskFile } from './parse';
export { createSourceFile, formatLocation, spanLines, type IndexedSourceFile } from './source';
export {
  KEYWORDS,
  KEYWORDS_BY_NAME,
  INCLUDE_KEYWORDS,
  editDistance,
  isKeyword,
  isLoopKeyword,
  keywordInfo,
  keywordsFor,
  suggestKeyword,
  type KeywordInfo,
  type KeywordScope,
  type KeywordType,
} from './keywords';
export { isActionTask, playSections, walkPlay, walkPlays, walkTasks, type WalkOptions } from './walk';
export { coreAtLeast, parseCoreVersion, DEFAULT_CORE_VERSION, SUPPORTED_CORE_LINES, type CoreVersion } from './core-version';
export { parseKeyValues, splitArgs } from './free-form';
export { parseYaml, toJS, valueNodeOf, isTemplated, type YamlDoc } from './yaml-nodes';
