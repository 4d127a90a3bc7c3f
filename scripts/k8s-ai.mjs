#!/usr/bin/env node
// @ts-check
// `pnpm k8s:ai "<question>"`: runs kubectl-ai against the app's cluster and namespace (through a
// private, minified kubeconfig, so the user's current context is never changed), or explains how
// to install kubectl-ai when it is missing.
import { which } from 'zx';
import { withSecretFile } from './lib/cleanup.mjs';
import { describeTarget, pinContext, resolveTarget } from './lib/cluster.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { runScript } from './lib/main.mjs';

export const INSTALL_HELP = [
  'kubectl-ai is not installed. Install it with one of:',
  '  curl -sSL https://raw.githubusercontent.com/GoogleCloudPlatform/kubectl-ai/main/install.sh | bash',
  '  kubectl krew install ai        (then it also runs as `kubectl ai`)',
  '  or download a release from https://github.com/GoogleCloudPlatform/kubectl-ai/releases',
  'It needs a model: GEMINI_API_KEY (default provider), or OPENAI_API_KEY with K8S_AI_PROVIDER=openai,',
  'or a local model with K8S_AI_PROVIDER=ollama K8S_AI_MODEL=<model>. See docs/ai-devops.md.',
].join('\n');

await runScript(
  {
    name: 'k8s:ai',
    summary: "ask kubectl-ai about the app's cluster, in the app's namespace",
    usage: 'pnpm k8s:ai "<question>" [--dry-run]   (no question: interactive session)',
    allowExtraPositionals: true,
    positionals: [{ name: 'question', description: 'what to ask, in plain words' }],
    examples: [
      'pnpm k8s:ai "why is the backend pod not ready?"',
      'pnpm k8s:ai "scale the frontend to 2 replicas"',
    ],
  },
  async ({ cli, cfg, log, runner }) => {
    const question = cli.positionals.join(' ').trim();
    const bin = cfg.require('KUBECTL_AI');
    if (!runner.dryRun && !(await which(bin, { nothrow: true }))) {
      log.problem(INSTALL_HELP);
      return EXIT.PREREQ;
    }
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`k8s:ai: ${describeTarget(target)}`);
    const view = await runner.run('kubectl', [
      'config',
      'view',
      '--minify',
      '--flatten',
      '--context',
      String(target.context),
    ]);
    if (!view.ok)
      throw new ScriptError(
        `cannot read the kubeconfig of context "${target.context}" (${firstError(view)}): is the cluster set up? Try \`pnpm run doctor\`.`,
        EXIT.PREREQ,
      );
    return withSecretFile('kubeconfig', view.stdout, async (kubeconfig) => {
      const set = await runner.run('kubectl', [
        '--kubeconfig',
        kubeconfig,
        'config',
        'set-context',
        '--current',
        '--namespace',
        target.namespace,
      ]);
      if (!set.ok) throw new ScriptError(`cannot prepare the kubeconfig (${firstError(set)})`, EXIT.ERROR);
      const args = ['--kubeconfig', kubeconfig];
      const provider = cfg.get('K8S_AI_PROVIDER');
      const model = cfg.get('K8S_AI_MODEL');
      if (provider) args.push('--llm-provider', provider);
      if (model) args.push('--model', model);
      if (question) args.push('--quiet', question);
      // The provider keys stay in the environment (never on the command line).
      /** @type {NodeJS.ProcessEnv} */
      const env = { ...process.env, KUBECONFIG: kubeconfig };
      for (const k of ['GEMINI_API_KEY', 'OPENAI_API_KEY', 'OPENAI_ENDPOINT', 'ANTHROPIC_API_KEY']) {
        const v = cfg.get(k);
        if (v) env[k] = v;
      }
      const r = await runner.run(bin, args, { change: true, inherit: true, env });
      return r.ok ? EXIT.OK : EXIT.ERROR;
    });
  },
);
