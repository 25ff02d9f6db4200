"""reelgate's offline video backend: jobs rendered by a background worker, kept in the data directory.

This is what the ``local/preview`` and ``local/draft`` models run on (see
:mod:`reelgate.providers.local`). It is a procedural preview renderer for offline development, demos
and CI, not an AI model: the video shows the prompt as a caption over moving shapes whose colours and
motion derive from the prompt, over the reference image when one is given.

* :mod:`reelgate.local._store`: the job directories and their state, shared by every process;
* :mod:`reelgate.local._server`: the in-process ``/v1/videos`` server the provider talks to;
* :mod:`reelgate.local._spawn` and :mod:`reelgate.local._worker`: the detached render process.
"""
