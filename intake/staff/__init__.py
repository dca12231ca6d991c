"""The clinic staff's side of screening requests: the work queue and review page (admin), the
review workflow, what the review page shows, exports, search, retention, the audit trail, key
rotation and staff accounts. The patient's side (form, views, creation) is the rest of `intake`.
"""
