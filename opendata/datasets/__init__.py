from opendata.datasets.base import Column, Dataset, Table
from opendata.datasets.catalogue import get, published

__all__ = ["Column", "Dataset", "Table", "get", "published"]
