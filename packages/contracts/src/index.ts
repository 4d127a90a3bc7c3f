export * from './chat.ts';
export * from './conversations.ts';
export * from './mcp-keys.ts';
export * from './problem.ts';
export * from './tasks.ts';
export * from './tools.ts';
