"""Scale-out: the single-machine pipeline mapped over partitions of the input by Dask.

- ``partitions``: inputs split into partitions with stable ids, and the items of one
  partition read back exactly as ``letopis.read`` reads them on one machine;
- ``worker``: the worker plugin that loads the models once per worker process, and the
  per-partition function (read -> ``Pipeline.run`` -> shard);
- ``shards``: the Parquet shards of records and errors, the manifest, reading them back;
- ``run``: the client side of ``letopis process --dask`` (plan, submit, retry, resume);
- ``load``: ``letopis load``, shards into the store;
- ``cli``: the argparse part of ``letopis load``.

How to run it and what each file holds: docs/scaling.md.
"""
