"""The markdown-it-py floor: read, split and parse front matter, render, write. Nothing else.

    python bench/floor.py SITE OUT [--jobs N]
"""

import argparse
import multiprocessing
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def render_files(paths: list[str], out: str) -> int:
    md = MarkdownIt("commonmark")
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        meta, body = {}, text
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            meta, body = yaml.load(text[4:end], Loader=LOADER), text[end + 5 :]
        html = f"<h1>{meta.get('title', '')}</h1>\n" + md.render(body)
        target = Path(out) / path.parent.name / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(paths)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    files = sorted(str(p) for d in ("terms", "content") for p in (args.site / d).rglob("*.md"))
    if args.jobs == 1:
        count = render_files(files, args.out)
    else:
        chunks = [files[i :: args.jobs] for i in range(args.jobs)]
        with multiprocessing.Pool(args.jobs) as pool:
            count = sum(pool.starmap(render_files, [(chunk, args.out) for chunk in chunks]))
    print(f"rendered {count} files")


if __name__ == "__main__":
    main()
