// Module resolution hook for the entry test: resolves the uni-app alias of the UTS
// module ('@/uni_modules/imsdk') to a fake bridge module, as HBuilderX resolves it to
// the compiled plugin.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@/uni_modules/imsdk') {
    return { url: new URL('./fake-uts-module.mjs', import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
