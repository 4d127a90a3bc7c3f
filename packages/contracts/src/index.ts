export * from './chat.js';
export * from './conversations.js';
export * from './mcp-keys.js';
export * from './problem.js';
export * from './tasks.js';
export * from './tools.js';
