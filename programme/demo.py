"""Realistic sample data for the local demo, added by `load_programme --demo`.

Each app that has demo data provides `<app>/demo.py` with
`demo_data_load(*, programme, stdout)`; they run in dependency order (`PROGRAMME_APPS`) and
each is idempotent.
"""

import importlib

from havering_improve.apps_list import PROGRAMME_APPS


def demo_data_load(*, programme, stdout=None) -> None:
    for app in PROGRAMME_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.demo_data_load(programme=programme, stdout=stdout)
