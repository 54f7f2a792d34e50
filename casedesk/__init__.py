"""CaseDesk (涉企案件办案台): enterprise-related case desk for courts and procuratorates."""

__version__ = "0.1.0"
