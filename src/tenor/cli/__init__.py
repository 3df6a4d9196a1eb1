"""tenor's command line: `tenor score`, `tenor analyze`, `tenor batch`, `tenor train`, `tenor eval`, `tenor serve`, `tenor keys`, `tenor reviewers`.

Library errors become a one-line message and an exit status here, and only here.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__
from .._errors import TenorError
from ._analyze import analyze
from ._batch import batch
from ._eval import eval_command
from ._keys import keys
from ._reviewers import reviewers
from ._score import score
from ._serve import serve
from ._train import train

__all__ = ["main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TenorError as e:
            raise click.ClickException(str(e)) from None
        except BrokenPipeError:
            # `tenor score ... | head`: the reader left; stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tenor")
def main() -> None:
    """tenor: offline comment scoring that speaks Perspective API's wire format."""


main.add_command(score)
main.add_command(analyze)
main.add_command(batch)
main.add_command(train)
main.add_command(eval_command)
main.add_command(serve)
main.add_command(keys)
main.add_command(reviewers)
