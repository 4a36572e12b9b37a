from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mobility import forecast, replay


class Command(BaseCommand):
    help = (
        "Backtest the car-park forecast on the real DiviaPark 2023 series against "
        "persistence (mean absolute error at 30 and 60 minutes, 'full within the hour')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--test-from", default="2023-08-21", help="First day scored")

    def handle(self, *args: Any, test_from: str, **options: Any) -> None:
        series = replay.load_series(str(replay.series_path()))
        result = forecast.backtest(series, test_from=datetime.fromisoformat(test_from))
        for horizon in forecast.HORIZONS_MINUTES:
            persistence, model = result.mae_persistence[horizon], result.mae_forecast[horizon]
            self.stdout.write(
                f"{horizon} min ahead: {result.samples[horizon]} samples, MAE persistence "
                f"{persistence:.3f} pp, forecast {model:.3f} pp "
                f"({model / persistence:.2f} of persistence)"
            )
        self.stdout.write(
            f"full within the hour: {result.full_events} cases; forecast caught "
            f"{result.full_hits_forecast}, false alarms {result.full_false_alarms_forecast}; "
            "persistence catches none by construction"
        )
        self.stdout.write(f"faulty samples left out: {result.excluded_samples}")
