from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backoffice.companies.models import ApiToken


class Command(BaseCommand):
    help = (
        "Create a REST API token for USERNAME and print it as the last line. Only its hash is "
        "stored: keep it now, it is not shown again. Revoke it on the user's page."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (e.g. POS).")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named “%(name)s”.") % {"name": username})
        if user.company_id is None and not user.is_superuser:
            raise CommandError(
                _("The user “%(name)s” belongs to no company; assign one first.")
                % {"name": username}
            )
        _token, secret = ApiToken.issue(user, name=name)
        self.stderr.write(
            _("API token for %(name)s (shown once; send it as Authorization: Bearer <token>):")
            % {"name": username}
        )
        self.stdout.write(secret)
