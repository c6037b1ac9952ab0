"""Asset checks beyond those each indicator asset reports itself (``publishable``, ``plausible``).

The indicator checks run inside the indicator step (check_specs), which keeps a run to one step per
indicator; the site's completeness is checked here, after it is written.
"""

import dagster as dg

from indicators.registry import load_catalogue
from pipelines.settings import FollowupPaths


@dg.asset_check(asset=dg.AssetKey(["reports", "site"]), name="every_catalogue_id_present", blocking=True,
                description="Every catalogue indicator has its CSV and its pages in both languages.")
def every_catalogue_id_present(paths: FollowupPaths) -> dg.AssetCheckResult:
    site = paths.site_dir
    missing = []
    for spec in load_catalogue().values():
        wanted = [f"indicators/{spec.id}.html", f"en/indicators/{spec.id}.html"]
        if not spec.is_development:
            wanted.append(f"data/indicators/{spec.id}.csv")
        missing += [w for w in wanted if not (site / w).is_file()]
    return dg.AssetCheckResult(passed=not missing, metadata={"missing": ", ".join(missing) or "-"})
