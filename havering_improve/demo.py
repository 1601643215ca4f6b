"""Realistic sample data for the local demo, added by `load_programme --demo`.

Each app contributes its own builder here as it grows; every builder is idempotent.
"""


def demo_data_load(*, programme, stdout=None) -> None:
    builders: list = []
    for build in builders:
        build(programme=programme, stdout=stdout)
