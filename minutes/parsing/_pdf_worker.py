"""Child process that extracts positioned text lines from a PDF read on stdin.

Run as a script (`python _pdf_worker.py MEMORY_MB CPU_SECONDS MAX_PAGES`), never imported by the
server: a hostile PDF (decompression bomb, endless loop) can only exhaust this process, whose
limits are set before pdfminer is even imported. It writes one JSON object per line on stdout:
`{"page": n, "width": w, "height": h, "boxes": [[[x0, y0, x1, y1, text], ...], ...]}` per page,
then `{"done": pages}`, or `{"error": code, "page": n, "detail": "..."}` and exits.
"""

from __future__ import annotations

import json
import resource
import sys


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # A PDF must not make the worker write files or dump a huge core.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    memory_mb, cpu_seconds, max_pages = (int(arg) for arg in sys.argv[1:4])
    data = sys.stdin.buffer.read()
    _limit(memory_mb, cpu_seconds)

    import io

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSEOF, PSSyntaxError

    page_no = 0
    try:
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.get_pages(io.BytesIO(data)):
            page_no += 1
            if page_no > max_pages:
                _emit({"error": "too_many_pages", "page": page_no, "detail": str(max_pages)})
                return 0
            interpreter.process_page(page)
            layout = device.get_result()
            boxes = []
            for element in layout:
                if not isinstance(element, LTTextBox):
                    continue
                lines = [
                    [
                        round(line.x0, 1),
                        round(line.y0, 1),
                        round(line.x1, 1),
                        round(line.y1, 1),
                        line.get_text().rstrip("\n"),
                    ]
                    for line in element
                    if isinstance(line, LTTextLine)
                ]
                if lines:
                    boxes.append(lines)
            _emit(
                {
                    "page": page_no,
                    "width": round(layout.width, 1),
                    "height": round(layout.height, 1),
                    "boxes": boxes,
                }
            )
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        _emit({"error": "encrypted", "page": page_no or None, "detail": str(exc)[:200]})
        return 0
    except (PDFSyntaxError, PSEOF, PSSyntaxError) as exc:
        _emit({"error": "syntax", "page": page_no or None, "detail": str(exc)[:200]})
        return 0
    except MemoryError:
        _emit({"error": "memory", "page": page_no or None, "detail": ""})
        return 0
    except RecursionError:
        _emit({"error": "recursion", "page": page_no or None, "detail": ""})
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the parent decides
        detail = f"{type(exc).__name__}: {exc}"[:200]
        _emit({"error": "other", "page": page_no or None, "detail": detail})
        return 0
    _emit({"done": page_no})
    return 0


if __name__ == "__main__":
    sys.exit(main())
