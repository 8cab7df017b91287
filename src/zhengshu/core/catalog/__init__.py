"""Resource catalogue (政务数据资源目录): every department's data resources with the national core metadata,
their items, classification and sharing attributes, and their lifecycle registered → mounted → published →
retired."""
