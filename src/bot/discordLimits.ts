import { CHOICE_TEXT_MAX, CHOICES_MAX } from '../text/choice.js';

/** Discord's documented limits that the renderer and commands must stay within. */
export const DISCORD_LIMITS = {
  messageContent: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  /** Sum of title, description, field names and values, footer and author text over a message's embeds. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  // one source for the autocomplete limits: the glossary and citing rooms build choices within them
  autocompleteChoices: CHOICES_MAX,
  choiceName: CHOICE_TEXT_MAX,
  choiceValue: CHOICE_TEXT_MAX,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  customId: 100,
  threadName: 100,
} as const;
