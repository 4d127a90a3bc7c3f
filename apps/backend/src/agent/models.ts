import { type Model, setTracingDisabled } from '@openai/agents-core';
import {
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  setDefaultOpenAITracingExporter,
} from '@openai/agents-openai';
import OpenAI from 'openai';
import type { Config } from '../config.js';
import { OfflineModel } from './offline/model.js';

export type AssistantMode = 'offline' | 'openai' | 'compatible';

export interface SelectedModel {
  mode: AssistantMode;
  name: string;
  model: Model;
}

/**
 * OPENAI_BASE_URL → any OpenAI-compatible Chat Completions server; OPENAI_API_KEY → OpenAI
 * (Responses API); neither → the built-in offline model. Trace export stays off unless
 * OPENAI_AGENTS_TRACING=1 with an OpenAI key.
 */
export function selectModel(config: Config): SelectedModel {
  if (config.tracing) {
    setTracingDisabled(false);
    setDefaultOpenAITracingExporter();
  } else {
    setTracingDisabled(true);
  }
  if (config.openaiBaseUrl) {
    const client = new OpenAI({
      baseURL: config.openaiBaseUrl,
      apiKey: config.openaiApiKey ?? 'not-needed',
      timeout: config.modelTimeoutMs,
      maxRetries: 1,
    });
    return {
      mode: 'compatible',
      name: config.openaiModel,
      model: new OpenAIChatCompletionsModel(client as never, config.openaiModel),
    };
  }
  if (config.openaiApiKey) {
    const client = new OpenAI({ apiKey: config.openaiApiKey, timeout: config.modelTimeoutMs, maxRetries: 1 });
    return {
      mode: 'openai',
      name: config.openaiModel,
      model: new OpenAIResponsesModel(client as never, config.openaiModel),
    };
  }
  return { mode: 'offline', name: 'offline', model: new OfflineModel() };
}
