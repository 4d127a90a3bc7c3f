import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;

/**
 * Whether `password` is on the list of ~49,000 most common passwords (zxcvbn-ts' dictionary,
 * shipped as an npm package: nothing is looked up over the network). Case-insensitive; loaded on
 * first use.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common']);
  return common.has(password.toLowerCase());
}
