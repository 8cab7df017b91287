"""Open data (公共数据开放): published catalogue entries opened to the public after a privacy gate, through an
opening workflow (a data officer proposes, the data authority approves), served on a public portal and an open
API with downloads, previews, charts, developer keys, rate limits and usage statistics."""
