"""The Messages screen: Outbox, Inbox and Templates tabs."""
