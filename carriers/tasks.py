"""Celery tasks of the carriers app."""

from celery import shared_task


@shared_task(acks_late=True)
def generate_certificate(carrier_id: int, force: bool = False) -> bool:
    """Render and store one carrier's certificate (BJ) or plaque (GZ); idempotent unless ``force``."""
    from .certificates import generate

    return generate(carrier_id, force=force)
