"""RENDER: what each page shows and how it becomes bytes: Jinja templates, page specs, indexes,
the graph drawing, the term preview file, and the Pagefind search index.

Pure functions of what `content` and `linking` produced. May import `linking` and `content`.
"""
