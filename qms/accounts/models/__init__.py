from .models import ApiToken, LoginAttempt, Membership, Organisation, User

__all__ = ["ApiToken", "LoginAttempt", "Membership", "Organisation", "User"]
