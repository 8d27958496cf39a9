/** What the buttons under an answer need to know later (question, cited passages), bounded in memory. */
import type { QuestionLang } from '../core/answer.js';

export interface RememberedAnswer {
  question: string;
  passageIds: string[];
  lang: QuestionLang;
}

export class AnswerMemory {
  private readonly answers = new Map<string, RememberedAnswer>();

  constructor(private readonly capacity = 2_000) {}

  remember(key: string, answer: RememberedAnswer): void {
    this.answers.delete(key);
    this.answers.set(key, answer);
    if (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value as string);
  }

  get(key: string): RememberedAnswer | undefined {
    return this.answers.get(key);
  }
}
