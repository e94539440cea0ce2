"""Kernels as things on disk: framework environments, kernelspecs, kernel identity.

Nothing here starts a kernel (that is ``xint_site.execute``); this layer makes and
describes them, for ``xint-site kernels`` and for the cache key.
"""
