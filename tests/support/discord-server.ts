// The Discord-compatible server lives in src/bench/ (the bench drives the bot through it too); tests import it from here.
export * from '../../src/bench/discord-server.js';
