#!/usr/bin/env python3
# Deterministic generator of IoT-device NDJSON shaped like the Databricks iot_devices sample,
# for inlet's examples, integration tests and benchmarks (same seed -> same bytes).
"""Write N files of newline-delimited IoT device readings.

Inferred by Spark / Auto Loader with cloudFiles.inferColumnTypes=true, every file (and any
union of files) gives exactly the printSchema tree of the seed article (alarm_status string,
battery_level long, ..., coordinates struct<latitude double, longitude double>, ...,
timestamp string); tests/integration/inlet_testlib.py holds it as EXPECTED_IOT_TREE and
test_gen_iot.py checks it with Spark.

Keys are written in a fixed, non-alphabetical order (inference must sort them), some
coordinates and temperatures are written as integral literals (38, -97, 77) so that the
long + double -> double widening is exercised, and the first row of every file carries
non-integral temp/latitude/longitude so each file alone still infers doubles.
device_id runs from --start-id without gaps across all files, so tests can check
exactly-once delivery by id.

--shape 2 writes the drifted producer of the seed's schema-drift examples: the country moves
into a `location` object {cca2, cca3, cn}, the coordinates become top-level `latitude` and
`longitude`, serial number and device type become one object
`device_serial_number_device_type` {"<serial>": "<type>"}, and humidity is written as a
double (70.0, 63.5). The other fields are as in shape 1.
"""

import argparse
import datetime
import json
import random
import string
from pathlib import Path

# (cca2, cca3, country, centroid latitude, centroid longitude). Integral centroids are
# written as JSON integers, as in the original sample ({"latitude": 38, "longitude": -97}).
COUNTRIES = [
    ("US", "USA", "United States", 38, -97),
    ("DE", "DEU", "Germany", 51, 9),
    ("GB", "GBR", "United Kingdom", 54, -2),
    ("IN", "IND", "India", 20, 77),
    ("KR", "KOR", "Republic of Korea", 37, 127),
    ("CH", "CHE", "Switzerland", 47, 8),
    ("JP", "JPN", "Japan", 36, 138),
    ("CA", "CAN", "Canada", 60, -95),
    ("NO", "NOR", "Norway", 62, 10),
    ("CY", "CYP", "Cyprus", 35, 33),
    ("BR", "BRA", "Brazil", -10, -55),
    ("AU", "AUS", "Australia", -27, 133),
]
DEVICE_TYPES = ["sensor-pad", "meter-gauge", "sensor-inest", "sensor-istick", "therm-stick"]
SERIAL_CHARS = string.ascii_letters + string.digits
# 2016-03-20 03:20:54.093 UTC, the first reading of the original sample.
START_EPOCH_MS = 1458444054093


def alarm_for(c02_level):
    if c02_level < 1000:
        return "green"
    if c02_level <= 1400:
        return "yellow"
    return "red"


def decimal_coordinate(rng, centre, spread):
    # Two decimals like the sample (42.36, -71.05); never integral, so it reads as a double.
    value = round(centre + rng.uniform(-spread, spread), 2)
    if value == int(value):
        value += 0.01
    return round(value, 2)


def make_row(rng, device_id, epoch_ms, force_decimals=False):
    """One reading as a dict; key order is the order written to the file."""
    cca2, cca3, country, lat, lon = rng.choice(COUNTRIES)
    if force_decimals or rng.random() < 0.6:
        coordinates = {
            "latitude": decimal_coordinate(rng, lat, 5),
            "longitude": decimal_coordinate(rng, lon, 5),
        }
    else:
        coordinates = {"latitude": lat, "longitude": lon}

    celsius = rng.randint(8, 34)
    if rng.random() < 0.85:
        scale = "Fahrenheit"
        temp = round(celsius * 1.8 + 32, 1)  # 51.8, 53.6, 77.0 ...
    else:
        scale = "Celsius"
        temp = float(celsius) + rng.choice([0.0, 0.5])
    if force_decimals and temp == int(temp):
        temp += 0.1
        temp = round(temp, 1)
    if temp == int(temp):
        temp = int(temp)  # written as 77, not 77.0, like the sample

    c02_level = rng.randint(800, 1600)
    stamp = datetime.datetime.fromtimestamp(epoch_ms / 1000, tz=datetime.timezone.utc)
    serial = str(device_id) + "".join(rng.choice(SERIAL_CHARS) for _ in range(rng.randint(5, 9)))
    ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
    return {
        "device_id": device_id,
        "device_serial_number": serial,
        "device_type": rng.choice(DEVICE_TYPES),
        "ip": ip,
        "cca2": cca2,
        "cca3": cca3,
        "cn": None if rng.random() < 0.12 else country,
        "coordinates": coordinates,
        "scale": scale,
        "temp": temp,
        "humidity": rng.randint(25, 99),
        "battery_level": rng.randint(0, 9),
        "c02_level": c02_level,
        "alarm_status": alarm_for(c02_level),
        "epoch_time_milliseconds": epoch_ms,
        "timestamp": stamp.strftime("%Y-%m-%d %H:%M:%S.") + f"{epoch_ms % 1000:03d}",
        "date": stamp.strftime("%Y-%m-%d"),
    }


def drift_row(row, rng):
    """Shape 2 of the same reading (see the module doc), keys in producer order."""
    coordinates = row["coordinates"]
    return {
        "device_id": row["device_id"],
        "device_serial_number_device_type": {row["device_serial_number"]: row["device_type"]},
        "ip": row["ip"],
        "location": {"cca2": row["cca2"], "cca3": row["cca3"], "cn": row["cn"]},
        "latitude": float(coordinates["latitude"]),
        "longitude": float(coordinates["longitude"]),
        "scale": row["scale"],
        "temp": row["temp"],
        "humidity": float(row["humidity"]) + rng.choice([0.0, 0.5]),
        "battery_level": row["battery_level"],
        "c02_level": row["c02_level"],
        "alarm_status": row["alarm_status"],
        "epoch_time_milliseconds": row["epoch_time_milliseconds"],
        "timestamp": row["timestamp"],
        "date": row["date"],
    }


def file_name(index, prefix="iot-"):
    return f"{prefix}{index:04d}.json"


def generate(out, files, rows_per_file, seed=42, start_id=1, first_file=1, prefix="iot-", shape=1):
    """Writes the files and returns their paths in order. Rows are a pure function of
    (seed, start_id, file position), so a re-run rewrites identical bytes."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:{start_id}:{first_file}")
    paths = []
    device_id = start_id
    epoch_ms = START_EPOCH_MS + (start_id - 1) * 7
    for f in range(files):
        lines = []
        for r in range(rows_per_file):
            row = make_row(rng, device_id, epoch_ms, force_decimals=(r == 0))
            if shape == 2:
                row = drift_row(row, rng)
            lines.append(json.dumps(row, separators=(", ", ": ")))
            device_id += 1
            epoch_ms += rng.randint(3, 11)
        path = out / file_name(first_file + f, prefix)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="directory to write into (created)")
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--rows-per-file", type=int, default=50)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start-id", type=int, default=1, help="device_id of the first row")
    parser.add_argument("--first-file", type=int, default=1,
                        help="number of the first file name (iot-NNNN.json)")
    parser.add_argument("--prefix", default="iot-", help="file name prefix")
    parser.add_argument("--shape", type=int, choices=[1, 2], default=1,
                        help="1: the sample's fields; 2: the drifted producer (see above)")
    args = parser.parse_args()
    if args.files < 0 or args.rows_per_file < 1:
        parser.error("--files must be >= 0 and --rows-per-file >= 1")
    for path in generate(args.out, args.files, args.rows_per_file, args.seed, args.start_id,
                         args.first_file, args.prefix, args.shape):
        print(path)


if __name__ == "__main__":
    main()
