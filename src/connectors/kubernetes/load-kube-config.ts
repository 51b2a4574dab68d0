import { KubeConfig } from '@kubernetes/client-node';
import { SteadyopsError } from '../../lib/errors.ts';

/** The kubeconfig from a file (or $KUBECONFIG / ~/.kube/config), switched to `context` when given. */
export function loadKubeConfig(file: string | undefined, context: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    if (file) kubeConfig.loadFromFile(file);
    else kubeConfig.loadFromDefault();
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot read kubeconfig ${file ?? '(default)'}: ${(error as Error).message}` });
  }
  if (context) {
    if (!kubeConfig.getContextObject(context)) {
      const known = kubeConfig.getContexts().map((entry) => entry.name).join(', ') || 'none';
      throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `no context ${context} in the kubeconfig (contexts: ${known})` });
    }
    kubeConfig.setCurrentContext(context);
  }
  return kubeConfig;
}
