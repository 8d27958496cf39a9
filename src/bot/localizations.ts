/** zh-CN / zh-TW localisations for command and option names and descriptions, so Chinese clients show them in Chinese. */
import type { LocalizationMap } from 'discord.js';

export function zh(simplified: string, traditional: string): LocalizationMap {
  return { 'zh-CN': simplified, 'zh-TW': traditional };
}
