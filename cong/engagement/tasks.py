from django_tasks import task


@task()
def question_mail_send(question_id: int, template: str) -> bool:
    from .models import Question
    from .services import question_mail

    question = Question.objects.select_related("portal__unit", "portal__site").filter(
        pk=question_id
    ).first()
    if question is None:
        return False
    return question_mail(question, template)
