import readline from 'node:readline';
import type { LibrarianService } from '../service/librarian.js';
import { answerText, citeText, searchText, sourcesText, termText } from './format.js';
import { oneLineError } from './errors.js';

export const CHAT_HELP = [
  'Ask a question in 简体中文, 繁體中文 or English; the answer quotes and cites the corpus.',
  '  /term <term>        a glossary entry (脱钩, friend-shoring, MSP …)',
  '  /cite <id|words>    a passage with a ready-to-paste citation',
  '  /search <query>     the best-matching passages',
  '  /sources            the documents in the collection',
  '  /help               this text;  /quit  leave',
].join('\n');

/** One line in, one reply out; shared by the interactive chat and its tests. Follow-ups carry the last turns. */
export async function chatReply(librarian: LibrarianService, line: string, history: { question: string; answer?: string }[]): Promise<string> {
  const text = line.trim();
  if (!text) return '';
  const [command, ...rest] = text.split(/\s+/);
  const arg = rest.join(' ');
  switch (command.toLowerCase()) {
    case '/help':
      return CHAT_HELP;
    case '/term':
      return arg ? termText(librarian.term(arg)) : 'usage: /term <term>';
    case '/cite': {
      if (!arg) return 'usage: /cite <passage id or words>';
      const result = await librarian.cite(arg);
      return result ? citeText(result) : `no passage matches “${arg}”`;
    }
    case '/search':
      return arg ? searchText(await librarian.search(arg, 5)) : 'usage: /search <query>';
    case '/sources':
      return sourcesText(librarian.sources());
    default: {
      if (command.startsWith('/') && !command.includes('/', 1) && /^\/[a-z]+$/i.test(command)) return `unknown command ${command} — try /help`;
      const answer = await librarian.ask(text, { history: history.slice(-3) });
      history.push({ question: text, answer: answer.text });
      return answerText(answer);
    }
  }
}

export async function runChat(librarian: LibrarianService): Promise<void> {
  const d = librarian.describe();
  console.log(`Lodestone — ${d.documents} documents, ${d.passages} passages, model ${d.model}${d.llm ? `, LLM ${d.llm}` : ''}. /help for commands, /quit to leave.`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  const history: { question: string; answer?: string }[] = [];
  rl.prompt();
  for await (const line of rl) {
    if (/^\/(quit|exit)\b/i.test(line.trim())) break;
    try {
      const reply = await chatReply(librarian, line, history);
      if (reply) console.log(reply + '\n');
    } catch (error) {
      console.log(oneLineError(error));
    }
    rl.prompt();
  }
  rl.close();
  await librarian.close();
}
