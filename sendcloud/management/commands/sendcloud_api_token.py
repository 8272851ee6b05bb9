from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from backoffice.companies.models import ApiToken
from sendcloud.management.output import JsonCommand, usage_error


class Command(JsonCommand):
    help = (
        "Create a REST API token for USERNAME and print it as the last line (with --json: in "
        'the document\'s "summary": {"token": …}). Only its hash is stored: keep it now, it is '
        "not shown again. Revoke it on the user's page. Exit code 2: no such user, or a user "
        "of no company."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (e.g. POS).")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise usage_error(_("No user named “%(name)s”.") % {"name": username})
        if user.company_id is None and not user.is_superuser:
            raise usage_error(
                _("The user “%(name)s” belongs to no company; assign one first.")
                % {"name": username}
            )
        token, secret = ApiToken.issue(user, name=name)
        self.results.append(
            {"user": username, "name": name, "prefix": token.prefix, "created_at": token.created_at}
        )
        self.summary = {"token": secret}
        self.stderr.write(
            _("API token for %(name)s (shown once; send it as Authorization: Bearer <token>):")
            % {"name": username}
        )
        if not options.get("json"):
            self.stdout.write(secret)
