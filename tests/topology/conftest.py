"""The topology tests start their own cluster and need nginx, PostgreSQL and Redis: `make
test-topology` runs them (CI runs it as a separate, time-bounded step); `make test` leaves them out
(pyproject's addopts deselect the `topology` mark)."""
