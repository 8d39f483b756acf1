// Fastify encapsulates what a plugin decorates. The db and repository plugins must decorate the
// whole app, which is what the `skip-override` marker asks for (the same marker fastify-plugin
// sets; this avoids a dependency for one line).
import type { FastifyPluginAsync, FastifyPluginOptions } from 'fastify';

export function sharedPlugin<Options extends FastifyPluginOptions>(
  name: string,
  plugin: FastifyPluginAsync<Options>,
): FastifyPluginAsync<Options> {
  const marked = plugin as FastifyPluginAsync<Options> & Record<symbol, unknown>;
  marked[Symbol.for('skip-override')] = true;
  marked[Symbol.for('fastify.display-name')] = name;
  return plugin;
}
