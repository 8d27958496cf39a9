/** What every command handler receives: the shared Librarian plus the bot's own small stores. */
import type { Logger } from 'pino';
import type { Librarian } from '../service/librarian-api.js';
import type { AnswerMemory } from './answerMemory.js';
import type { Condense, ConversationStore } from './conversation.js';
import type { FeedbackStore } from './feedback.js';
import type { RateLimiter } from './rateLimit.js';

export interface BotServices {
  librarian: Librarian;
  feedback: FeedbackStore;
  rateLimiter: RateLimiter;
  conversations: ConversationStore;
  answers: AnswerMemory;
  logger: Logger;
  condense?: Condense;
}
