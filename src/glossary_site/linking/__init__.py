"""LINK: the term matcher and the markdown-it plugins (term linker, [[references]], faster
paragraph rules) around the one MarkdownIt instance that renders a document body.

May import `content`; never `pages`, `build` or `commands`.
"""
