"""BUILD: the pipeline (the only code that knows the order of the stages), worker processes, the
build cache and its store, kept bodies, the up-to-date check, publishing, and the edit routes
(the fast paths and `build`'s edit path) that apply edits to the last build's state.

May import `pages`, `linking` and `content`; never `commands`.
"""
